"""Resolution of mentions to canonical values: names, places, dates, quantities."""
