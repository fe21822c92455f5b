// Package graphql is the one API of Parvis: the gqlgen schema (schema.graphqls),
// its resolvers, and authentication. Resolvers only translate: chat goes to
// ingest, reads go to the projections' query layer, knowledge to the bot's index.
// Generated code lives in generated/ and model/ and is never edited by hand.
package graphql

//go:generate go tool gqlgen generate --config gqlgen.yml
