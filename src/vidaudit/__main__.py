from vidaudit.cli import main

raise SystemExit(main())
