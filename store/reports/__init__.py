"""Report reads: aged balances and collection figures, summed from the detailed entries."""
