"""CLI commands by stage; each module registers its commands on the root app."""
