"""The write path: build a release (graph, validation, products) and publish it."""
