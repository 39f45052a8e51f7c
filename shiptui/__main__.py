from shiptui.cli import main

raise SystemExit(main())
