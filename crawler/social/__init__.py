"""Social sources through the platforms' official APIs: Facebook Pages (Graph API) and YouTube (Data API v3)."""
