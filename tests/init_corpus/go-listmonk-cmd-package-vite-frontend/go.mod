module github.com/knadh/listmonk

go 1.26.1

require (
	github.com/Masterminds/sprig/v3 v3.3.0
	github.com/altcha-org/altcha-lib-go v1.0.0
	github.com/coreos/go-oidc/v3 v3.14.1
	github.com/disintegration/imaging v1.6.2
	github.com/emersion/go-message v0.18.2
	github.com/gdgvda/cron v0.4.0
	github.com/gofrs/uuid/v5 v5.3.2
	github.com/gorilla/feeds v1.2.0
	github.com/jmoiron/sqlx v1.4.0
	github.com/knadh/go-pop3 v1.0.2
	github.com/knadh/goyesql/v2 v2.2.0
	github.com/knadh/koanf/maps v0.1.2
	github.com/knadh/koanf/parsers/json v1.0.0
	github.com/knadh/koanf/parsers/toml v0.1.0
	github.com/knadh/koanf/providers/confmap v1.0.0
	github.com/knadh/koanf/providers/env v1.1.0
	github.com/knadh/koanf/providers/file v1.2.0
	github.com/knadh/koanf/providers/posflag v1.0.1
	github.com/knadh/koanf/providers/rawbytes v1.0.0
	github.com/knadh/koanf/v2 v2.2.2
	github.com/knadh/paginator v1.0.1
	github.com/knadh/smtppool/v2 v2.1.2
	github.com/knadh/stuffbin v1.3.0
	github.com/labstack/echo/v4 v4.13.4
	github.com/lib/pq v1.10.9
	github.com/paulbellamy/ratecounter v0.2.0
	github.com/pquerna/otp v1.5.0
	github.com/rhnvrm/simples3 v0.11.1
	github.com/spf13/pflag v1.0.6
	github.com/yuin/goldmark v1.7.12
	github.com/zerodha/easyjson v1.0.1
	github.com/zerodha/simplesessions/stores/postgres/v3 v3.0.0
	github.com/zerodha/simplesessions/v3 v3.0.0
	golang.org/x/mod v0.35.0
	golang.org/x/oauth2 v0.30.0
	golang.org/x/text v0.37.0
	gopkg.in/volatiletech/null.v6 v6.0.0-20170828023728-0bef4e07ae1b
)

require (
	dario.cat/mergo v1.0.2 // indirect
	github.com/Masterminds/goutils v1.1.1 // indirect
	github.com/Masterminds/semver/v3 v3.4.0 // indirect
	github.com/boombuler/barcode v1.0.1-0.20190219062509-6c824513bacc // indirect
	github.com/fsnotify/fsnotify v1.9.0 // indirect
	github.com/go-jose/go-jose/v4 v4.1.4 // indirect
	github.com/go-viper/mapstructure/v2 v2.4.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/huandu/xstrings v1.5.0 // indirect
	github.com/josharian/intern v1.0.0 // indirect
	github.com/labstack/gommon v0.4.2 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mitchellh/copystructure v1.2.0 // indirect
	github.com/mitchellh/reflectwalk v1.0.2 // indirect
	github.com/pelletier/go-toml v1.9.5 // indirect
	github.com/shopspring/decimal v1.4.0 // indirect
	github.com/spf13/cast v1.9.2 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	golang.org/x/crypto v0.52.0 // indirect
	golang.org/x/image v0.41.0 // indirect
	golang.org/x/net v0.54.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
	golang.org/x/time v0.12.0 // indirect
)
