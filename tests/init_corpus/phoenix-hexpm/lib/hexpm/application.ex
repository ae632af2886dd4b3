defmodule Hexpm.Application do
  @environment Mix.env()
    if web_mode?(mode), do: Hexpm.BlockAddress.start()
  def mode(value \\ System.get_env("HEXPM_MODE")), do: mode(@environment, value)
  if Mix.env() == :hex do
    mode = System.get_env("HEXPM_READ_ONLY_MODE") == "1"
      if System.get_env("HEXPM_SETUP") == "1" do
    if System.get_env("HEXPM_CLUSTER") == "1" do
  # Serves Prometheus metrics on a port separate from the main endpoint so that
    if port = Application.get_env(:hexpm, :metrics_port) do
      {Bandit, plug: {PromEx.Plug, prom_ex_module: Hexpm.PromEx}, port: port}
  if Mix.env() == :prod do
