"""Members' questions: answered from the knowledge base or sent to the secretariat, and the
secretariat's replies and /unanswered."""
