// pages/api/pages/parsed/[vendor].ts: what not to do, kept for the test. The same route with
// Next.js's body parser left on (no `config` export): the parser consumes the stream and keeps
// only the parsed object, so hooksig answers 500 invalid_config instead of verifying anything.
export { default } from '../webhooks/[vendor]'
