"""Research tools: page fetching, SERP providers, recorded snapshots and the research cache."""
