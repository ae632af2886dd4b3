from devenv.cli.fast import main

raise SystemExit(main())
