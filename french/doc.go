// Package french holds what Parvis knows of written French, apart from any
// knowledge base: how to fold a text, split it into words, which words carry no
// topic, which words mean the same thing, how to correct a misspelt word and how
// to reduce a word to its stem. The understanding engine (bot) and the miner of
// unmet demand (mining) both read citizens' messages through it, so that they see
// the same words.
//
// A text flows through it in this order:
//
//  1. [Fold]: lower case, no accents or ligatures, every character that is neither
//     a letter nor a digit becomes a space, so apostrophes split elisions
//     ("l'acte" → "l acte").
//  2. [Words]: the folded words, with SMS shorthand and oral forms expanded ("bjr"
//     → "bonjour", "jsuis" → "je suis") and redaction placeholders ("[EMAIL]",
//     see package ingest/redact) dropped with the label that introduced them ("mon
//     tel [TELEPHONE]").
//  3. [IsStopword], [IsCourtesy]: function words, which say nothing of the topic,
//     and greetings and thanks, which are the content of a message only when it
//     holds nothing else.
//  4. [Synonyms], [Canonical]: words citizens use for the same thing ("appart",
//     "logement").
//  5. [Speller]: spelling correction against a vocabulary, leaving alone the
//     correct words of a [Lexicon].
//  6. [Stem]: the Snowball French stem.
//
// [ContentWords] runs steps 1 to 4 for callers that want one word per meaning;
// the engine runs them one by one, because it weighs each step differently.
// Words are folded ASCII in practice (letters of other scripts are kept, lower
// case), so the speller counts bytes as characters.
//
// Everything here is read-only once the package is initialised and safe for
// concurrent use.
package french
