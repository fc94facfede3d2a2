// Stands in for `underscore`, which avro-js 1.12.2 (a dependency of salesforce-pubsub-api-client)
// requires at load time from a deprecated module without declaring it. Nothing the client calls
// uses it.
module.exports = {}
