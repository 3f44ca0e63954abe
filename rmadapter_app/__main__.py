"""``python -m rmadapter_app`` starts the desktop app."""
from rmadapter_app.app import main

raise SystemExit(main())
