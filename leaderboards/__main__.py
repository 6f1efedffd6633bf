"""`python -m leaderboards build --db runs/store`: see leaderboards/cli.py."""
from .cli import main

raise SystemExit(main())
