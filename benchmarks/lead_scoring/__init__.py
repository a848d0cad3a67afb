"""Lead-scoring benchmark on UCI Bank Marketing: our training code beside two baselines."""
