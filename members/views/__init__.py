"""Pages of the members app: thin views over the services and selectors."""
