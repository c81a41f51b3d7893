"""Writing results back: a plan of actions and the adapters that apply it."""
