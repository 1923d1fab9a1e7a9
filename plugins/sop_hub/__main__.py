from sop_hub.cli import main

raise SystemExit(main())
