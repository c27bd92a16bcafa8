"""GraphQL API: Starlette app, Strawberry schema, auth, limits. Resolvers stay thin."""
