"""How the bot is used, for the admins: the figures of /stats and ``hoibot stats``, as text
(from the catalog, in either language) and as a chart image (matplotlib, Agg backend)."""

from __future__ import annotations

import asyncio
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from bot import clock
from bot.config import Config
from bot.kb import KnowledgeBase, Meeting
from bot.membership.applications import Status
from bot.storage.registrations import Counts, RegistrationRepository
from bot.storage.stats import OUTCOMES, BroadcastFigures, StatsRepository
from bot.texts import Catalog

WEEKS_CHARTED = 8
MONTHS_CHARTED = 12
EXCERPT = 40


@dataclass(frozen=True)
class WeekFigures:
    start: date
    answered: int = 0
    suggested: int = 0
    unknown: int = 0
    sent: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.suggested + self.unknown

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.total if self.total else None


@dataclass(frozen=True)
class Stats:
    now: datetime
    members: dict[str, int]
    applications: dict[str, tuple[int, int]]
    users: int
    subscribers: int
    reachable: int
    questions_week: dict[str, int]
    sent_week: int
    frequent_open: list[tuple[str, int]]
    registrations: list[tuple[Meeting, Counts]]
    broadcasts: list[BroadcastFigures]
    weeks: list[WeekFigures] = field(default_factory=list)
    members_by_month: list[tuple[date, int]] = field(default_factory=list)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def gather(
    stats: StatsRepository,
    registrations: RegistrationRepository,
    kb: KnowledgeBase,
    now: datetime,
    tz: tzinfo,
) -> Stats:
    """Every figure, read now (``now`` aware; weeks and months are the association's)."""
    local = now.astimezone(tz)
    month_start = datetime.combine(local.date().replace(day=1), time(0), tzinfo=tz)
    week_ago = local - timedelta(days=7)
    first_week = _monday(local.date()) - timedelta(weeks=WEEKS_CHARTED - 1)
    daily = await stats.question_counts(min(first_week, week_ago.date()))
    sent = await stats.sent_to_secretariat(
        datetime.combine(min(first_week, week_ago.date()), time(0), tzinfo=tz)
    )
    questions_week = {
        outcome: sum(
            counts.get(outcome, 0) for day, counts in daily.items()
            if date.fromisoformat(day) > week_ago.date()
        )
        for outcome in OUTCOMES
    }
    weeks = []
    for index in range(WEEKS_CHARTED):
        start = first_week + timedelta(weeks=index)
        days = [start + timedelta(days=d) for d in range(7)]
        counts = [daily.get(d.isoformat(), {}) for d in days]
        weeks.append(WeekFigures(
            start=start,
            **{outcome: sum(c.get(outcome, 0) for c in counts) for outcome in OUTCOMES},
            sent=sum(1 for moment in sent if _monday(moment.astimezone(tz).date()) == start),
        ))
    by_meeting = await registrations.counts_by_meeting()
    upcoming = [
        (meeting, by_meeting.get(meeting.id, Counts()))
        for meeting in kb.meetings_sorted(local).upcoming
        if meeting.registration is not None
    ]
    subscribers = await stats.subscribers()
    return Stats(
        now=local,
        members=await stats.members(month_start),
        applications=await stats.applications(month_start),
        users=subscribers[0],
        subscribers=subscribers[1],
        reachable=subscribers[2],
        questions_week=questions_week,
        sent_week=sum(1 for moment in sent if moment > week_ago),
        frequent_open=await stats.frequent_open_questions(),
        registrations=upcoming,
        broadcasts=await stats.last_broadcasts(),
        weeks=weeks,
        members_by_month=_members_by_month(await stats.member_joins(), local, tz),
    )


def _members_by_month(joins: list[datetime], now: datetime, tz: tzinfo) -> list[tuple[date, int]]:
    """Active members at the end of each of the last months (by the month they joined)."""
    months = []
    year, month = now.year, now.month
    for _ in range(MONTHS_CHARTED):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    found = []
    for first in months:
        after = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        found.append((first, sum(1 for joined in joins if joined.astimezone(tz).date() < after)))
    return found


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


def render(stats: Stats, texts: Catalog, lang: str) -> str:
    """The figures as one HTML message in ``lang``."""
    t = texts.get
    lines = [t("stats.header", lang, date=clock.moment(stats.now))]
    members = stats.members
    lines.append(t("stats.members", lang, active=members["active"],
                   individual=members["individual"], organisation=members["organisation"],
                   recent=members["recent"]))
    for status in Status:
        recent, total = stats.applications.get(status, (0, 0))
        lines.append(t(f"stats.application.{status}", lang, recent=recent, total=total))
    lines.append(t("stats.subscribers", lang, users=stats.users, subscribers=stats.subscribers,
                   reachable=stats.reachable,
                   share=_percent(stats.reachable, stats.subscribers)))
    week = stats.questions_week
    total = sum(week.values())
    lines.append(t("stats.questions", lang, total=total, answered=week["answered"],
                   share=_percent(week["answered"], total), suggested=week["suggested"],
                   unknown=week["unknown"], sent=stats.sent_week))
    if stats.frequent_open:
        lines.append(t("stats.open_header", lang))
        lines += [t("stats.open_line", lang, text=_excerpt(text), count=count)
                  for text, count in stats.frequent_open]
    if stats.registrations:
        lines.append(t("stats.registrations_header", lang))
        for meeting, counts in stats.registrations:
            capacity = meeting.registration.capacity if meeting.registration else None
            lines.append(t("stats.registrations_line", lang, title=meeting.title.get(lang),
                           registered=counts.seats_taken, capacity=capacity or "∞",
                           waiting=counts.waiting))
    if stats.broadcasts:
        lines.append(t("stats.broadcasts_header", lang))
        for broadcast in stats.broadcasts:
            outcomes = broadcast.counts
            lines.append(t(
                "stats.broadcast_line", lang,
                date=datetime.fromisoformat(broadcast.started_at).astimezone(
                    stats.now.tzinfo).strftime("%d/%m %H:%M"),
                excerpt=_excerpt(broadcast.text), delivered=outcomes.get("sent", 0),
                recipients=sum(outcomes.values()), unreachable=outcomes.get("unreachable", 0),
                failed=outcomes.get("failed", 0) + outcomes.get("unknown", 0),
            ))
    return "\n".join(lines)


def plain(message: str) -> str:
    """An HTML message as terminal text."""
    return html.unescape(re.sub(r"<[^>]+>", "", message))


def chart_png(stats: Stats, texts: Catalog, lang: str) -> bytes:
    """Questions per week with the answered share, and members over time, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    # DejaVu Sans ships with matplotlib and has every Vietnamese letter.
    plt.rcParams["font.family"] = "DejaVu Sans"
    raw = texts.raw
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7.5), dpi=100)
    labels = [week.start.strftime("%d/%m") for week in stats.weeks]
    positions = list(range(len(labels)))
    answered = [w.answered for w in stats.weeks]
    suggested = [w.suggested for w in stats.weeks]
    unknown = [w.unknown for w in stats.weeks]
    top.bar(positions, answered, color="#2e7d32", label=raw("stats.chart.answered", lang))
    top.bar(positions, suggested, bottom=answered, color="#f9a825",
            label=raw("stats.chart.suggested", lang))
    top.bar(positions, unknown, bottom=[a + s for a, s in zip(answered, suggested, strict=True)],
            color="#c62828", label=raw("stats.chart.unknown", lang))
    top.plot(positions, [w.sent for w in stats.weeks], color="#1565c0", marker="o",
             label=raw("stats.chart.sent", lang))
    top.set_xticks(positions, labels)
    top.set_title(raw("stats.chart.questions_title", lang))
    top.set_ylabel(raw("stats.chart.questions_axis", lang))
    share_axis = top.twinx()
    share_axis.plot(positions, [w.answered_share for w in stats.weeks], color="#000000",
                    linestyle="--", marker=".", label=raw("stats.chart.share", lang))
    share_axis.set_ylim(0, 1.05)
    share_axis.yaxis.set_major_formatter(PercentFormatter(1.0))
    handles, names = top.get_legend_handles_labels()
    more, more_names = share_axis.get_legend_handles_labels()
    top.legend(handles + more, names + more_names, loc="upper left", fontsize=8)
    months = [month.strftime("%m/%Y") for month, _ in stats.members_by_month]
    month_positions = list(range(len(months)))
    bottom.plot(month_positions, [count for _, count in stats.members_by_month],
                color="#6a1b9a", marker="o")
    bottom.set_xticks(month_positions, months)
    bottom.set_title(raw("stats.chart.members_title", lang))
    bottom.set_ylabel(raw("stats.chart.members_axis", lang))
    bottom.tick_params(axis="x", labelrotation=45)
    for axis in (top, bottom):
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    plt.close(figure)
    return out.getvalue()


async def figures_for(config: Config) -> tuple[Stats, Catalog]:
    """The figures of a configured bot's database, read without starting the bot."""
    from bot.kb.service import KnowledgeService
    from bot.storage import Database, utcnow

    db = Database(config.database)
    await db.open()
    try:
        kb = KnowledgeService.load(config.knowledge_dir).kb
        figures = await gather(StatsRepository(db), RegistrationRepository(db), kb, utcnow(),
                               config.tz)
    finally:
        await db.close()
    return figures, Catalog.load(default_language=config.default_language)


def stats_command(config: Config, lang: str | None, chart: Path | None) -> int:
    """``hoibot stats``: print the figures of /stats; optionally write the chart."""
    figures, texts = asyncio.run(figures_for(config))
    lang = texts.language(lang or config.default_language)
    print(plain(render(figures, texts, lang)))
    if chart is not None:
        chart.write_bytes(chart_png(figures, texts, lang))
        print(f"\n{chart}")
    return 0
