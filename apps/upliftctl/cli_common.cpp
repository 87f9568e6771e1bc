// placeholder, replaced by the CLI layer
