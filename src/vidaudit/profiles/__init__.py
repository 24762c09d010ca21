"""Dataset formats vidaudit understands. Each profile knows its files and tables."""
