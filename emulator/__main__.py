"""Run the emulator alone: `python -m emulator [--host H] [--port P] [--token T]`."""

import argparse
import asyncio

from emulator.server import BotApiEmulator


async def _serve(host: str, port: int, token: str, users: int) -> None:
    emulator = BotApiEmulator(token=token)
    emulator.add_users(users)
    await emulator.start(host, port)
    try:
        print(f"Bot API emulator listening; base_url={emulator.base_url}", flush=True)
        print(f"token={token}", flush=True)
        if users:
            print(f"known users: ids 1000000 to {1000000 + users - 1}", flush=True)
        await asyncio.Event().wait()  # serve until interrupted
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument(
        "--users", type=int, default=0, help="create N users the bot may message (ids from 1000000)"
    )
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve(args.host, args.port, args.token, args.users))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
