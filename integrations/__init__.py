"""Adapters between the braingain core and the outside world, and the command line."""
