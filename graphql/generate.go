// Package graphql is the one API of Parvis: the gqlgen schema (schema.graphqls),
// its resolvers, the @auth directive and the error codes. Resolvers only
// translate: chat goes to ingest, reads go to the projections' query layer,
// knowledge to the bot's index and kb's writer, tokens and accounts to auth (which
// also resolves the caller before any resolver runs).
// Generated code lives in generated/ and model/ and is never edited by hand.
package graphql

//go:generate go tool gqlgen generate --config gqlgen.yml
