"""The decision guide: a server-rendered front door onto the same engine as the JSON API."""
