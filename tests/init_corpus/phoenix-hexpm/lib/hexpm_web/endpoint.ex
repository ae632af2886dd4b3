defmodule HexpmWeb.Endpoint do
  if Mix.env() == :prod do
