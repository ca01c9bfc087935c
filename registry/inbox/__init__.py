"""What waits for each user: the inbox and the counts in the navigation."""
