"""Web app and periodic reports, on top of the stage packages and `storage`."""
