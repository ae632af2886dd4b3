Rails.application.configure do
  config.cache_classes = false
  config.eager_load = false
  config.consider_all_requests_local = true
  # Polls modification times on each request: needs no file-event gem, and sees edits made on the host.
  config.file_watcher = ActiveSupport::FileUpdateChecker
  config.hosts.clear
  config.active_record.migration_error = :page_load
  config.logger = ActiveSupport::Logger.new($stdout)
end
