"""Contract suites: the same test bodies run against every implementation of a port."""
