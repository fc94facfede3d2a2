import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RestError } from '../../../devorg/rest/rest-errors.ts'
import { parseSoql } from '../../../devorg/rest/soql-parser.ts'

test('parses fields, parent paths, subqueries, conditions, ordering and limits', () => {
  const q = parseSoql(
    'select Id, Account.Name, (SELECT Quantity FROM OpportunityLineItems) from Opportunity ' +
      "where (StageName = 'Closed Won' or Amount >= 10.5) and not CloseDate < 2026-01-01 " +
      "and Id not in ('006000000000001') order by Amount desc nulls first, Name limit 10 offset 5",
  )
  assert.equal(q.from, 'Opportunity')
  assert.deepEqual(q.select[1], { kind: 'field', path: ['Account', 'Name'] })
  assert.equal(q.select[2]?.kind, 'subquery')
  assert.deepEqual(q.orderBy, [
    { path: ['Amount'], desc: true, nullsLast: false },
    { path: ['Name'], desc: false, nullsLast: false },
  ])
  assert.equal(q.limit, 10)
  assert.equal(q.offset, 5)
  assert.equal(q.where?.kind, 'and')
  const items = q.where?.kind === 'and' ? q.where.items : []
  assert.deepEqual(items[1], {
    kind: 'not',
    item: { kind: 'compare', path: ['CloseDate'], op: '<', value: { kind: 'date', value: '2026-01-01' } },
  })
  assert.deepEqual(items[2], {
    kind: 'in',
    path: ['Id'],
    negated: true,
    values: [{ kind: 'string', value: '006000000000001' }],
  })
})

test('string escapes and literal kinds', () => {
  const q = parseSoql(
    "SELECT Id FROM Contact WHERE LastName = 'O\\'Brien' AND Active__c = TRUE AND Email != null " +
      "AND LastModifiedDate > 2026-01-01T00:00:00Z AND Name LIKE '100\\%%' AND Score__c <> -3",
  )
  const items = q.where?.kind === 'and' ? q.where.items : []
  const values = items.map((c) => (c.kind === 'compare' ? c.value : null))
  assert.deepEqual(values, [
    { kind: 'string', value: "O'Brien" },
    { kind: 'boolean', value: true },
    { kind: 'null' },
    { kind: 'datetime', value: '2026-01-01T00:00:00Z' },
    { kind: 'string', value: '100\\%%' },
    { kind: 'number', value: -3 },
  ])
  assert.equal(items[5]?.kind === 'compare' ? items[5].op : '', '!=')
})

test('syntax errors are MALFORMED_QUERY REST errors', () => {
  for (const soql of [
    '',
    'SELECT FROM Account',
    'SELECT Id FROM',
    'SELECT Id FROM Account WHERE',
    "SELECT Id FROM Account WHERE Name = 'open",
    'SELECT Id FROM Account LIMIT -1',
    'SELECT Id FROM Account ORDER Name',
    'SELECT Id FROM Account WHERE (Name = 1',
    'SELECT Id FROM Account garbage',
    'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS',
    'SELECT Id FROM Account WHERE CreatedDate = TODAY:3',
    'SELECT Id FROM Account WHERE CreatedDate = SOMEDAY',
  ]) {
    assert.throws(
      () => parseSoql(soql),
      (err: unknown) =>
        err instanceof RestError && err.status === 400 && err.items[0]?.errorCode === 'MALFORMED_QUERY',
      soql,
    )
  }
})
