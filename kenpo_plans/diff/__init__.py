"""Two plans compared: alignment by id and similarity, the inline Japanese text diff, and the result as plain data."""
