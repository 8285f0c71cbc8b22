"""What tests share: fakes for the outside world (mail), builders and fixtures."""
