"""The terminal user interface: screens, widgets and styles. Thin: it calls the services."""
