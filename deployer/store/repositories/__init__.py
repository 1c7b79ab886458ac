"""Repositories: domain objects in, domain objects out; SQL stays behind them."""
