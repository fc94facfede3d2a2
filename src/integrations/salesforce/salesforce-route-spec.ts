/**
 * What a Salesforce integration needs of its route's configuration (the shape the API
 * document reader produces for `x-forcegate-salesforce-integration`), declared here so the
 * integration depends on no configuration code.
 */
export interface SalesforceRouteSpec {
  readonly pointer: string
  readonly org: string
  readonly credential: 'caller' | 'integrationUser'
  readonly operation: 'upsert' | 'create' | 'upload'
  readonly sobject: string
  readonly externalIdField: string | undefined
  readonly allowDuplicateSave: boolean
  readonly requestTemplates: readonly {
    readonly key: string
    readonly text: string
    readonly pointer: string
    readonly line: number | undefined
  }[]
  readonly upload:
    | {
        readonly linkToPathParameter: string
        readonly maxBytes: number
        readonly contentTypes: readonly string[]
      }
    | undefined
  readonly timeoutMs: number
}
