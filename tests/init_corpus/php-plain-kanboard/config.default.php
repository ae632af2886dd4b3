// E-mail address used for the "From" header (notifications)
// E-mail address used for the "Bcc" header to send a copy of all notifications
// If set to false, you will have to run manually the SQL migrations from the CLI during the next Kanboard upgrade
define('DB_RUN_MIGRATIONS', true);
// Database driver: sqlite, mysql, postgres, odbc, dblib, or mssql (sqlite by default)
define('DB_DRIVER', 'sqlite');
define('DB_USERNAME', 'root');
define('DB_PASSWORD', '');
define('DB_HOSTNAME', 'localhost');
define('DB_NAME', 'kanboard');
// Database custom port (null = default port)
define('DB_PORT', null);
define('DB_SSL_KEY', null);
define('DB_SSL_CERT', null);
define('DB_SSL_CA', null);
define('DB_VERIFY_SERVER_CERT', null);
define('DB_TIMEOUT', null);
define('DB_ODBC_DSN', 'kanboard');
// LDAP server protocol, hostname and port URL (ldap[s]://hostname:port)
// LDAP server port (389 by default)
// LDAP bind type: "anonymous", "user" or "proxy"
// Enable LDAP group provider for project permissions
// Default domain to use for setting the email address
// Comma separated list of fields to not synchronize when using external authentication providers
