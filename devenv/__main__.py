from devenv.cli.main import main

raise SystemExit(main())
