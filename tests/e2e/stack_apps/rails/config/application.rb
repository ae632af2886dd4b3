require_relative "boot"

require "rails"
require "active_record/railtie"
require "action_controller/railtie"

Bundler.require(*Rails.groups)

module Visits
  class Application < Rails::Application
    config.load_defaults 6.1
    config.api_only = true
    # A sample: the key signs nothing that matters, and the real one would come from credentials.
    config.secret_key_base = ENV.fetch("SECRET_KEY_BASE", "only-for-the-devenv-sample")
  end
end
