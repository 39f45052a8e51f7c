"""Review-reminder email: the template, the message, the SMTP configuration and sender."""
