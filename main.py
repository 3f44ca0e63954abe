"""Start RMAdapter Studio: ``python main.py`` (the desktop app), or ``python main.py --cli ...``."""
import sys

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--cli":
        from rmadapter_app.cli import main as cli_main
        raise SystemExit(cli_main(sys.argv[2:]))
    try:
        from rmadapter_app.app import main
    except ImportError as exc:  # the GUI needs PySide6; the engine does not
        print(f"The desktop app cannot start ({exc}); the command line still works:\n", file=sys.stderr)
        from rmadapter_app.cli import main as cli_main
        raise SystemExit(cli_main(["--help"]))
    raise SystemExit(main())
