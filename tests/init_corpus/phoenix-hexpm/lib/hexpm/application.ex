defmodule Hexpm.Application do
  use Application

  @environment Mix.env()

  def start(_type, _args) do
    :logger.add_handler(:sentry_handler, Sentry.LoggerHandler, %{})

    read_only_mode()
    setup_tmp_dir()

    mode = mode()
    if web_mode?(mode), do: Hexpm.BlockAddress.start()
    children = children(mode)

    shutdown_on_eof()

    opts = [strategy: :one_for_one, name: Hexpm.Supervisor]
    Supervisor.start_link(children, opts)
  end

  def config_change(changed, _new, removed) do
    if Process.whereis(HexpmWeb.Endpoint) do
      HexpmWeb.Endpoint.config_change(changed, removed)
    end

    :ok
  end

  def mode(value \\ System.get_env("HEXPM_MODE")), do: mode(@environment, value)
