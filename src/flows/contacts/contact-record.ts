/**
 * A customer as a Salesforce Contact. The usual customer columns are named for the Contact
 * fields they fill (`customerId` → the external ID field, `firstName` → `FirstName`, …);
 * a column already named like a Salesforce field (`Title`, `Birthdate`, `Region__c`) passes as it is.
 */
const KNOWN: Readonly<Record<string, string>> = {
  firstname: 'FirstName',
  first_name: 'FirstName',
  lastname: 'LastName',
  last_name: 'LastName',
  email: 'Email',
  phone: 'Phone',
  mobile: 'MobilePhone',
  title: 'Title',
  street: 'MailingStreet',
  city: 'MailingCity',
  postalcode: 'MailingPostalCode',
  postal_code: 'MailingPostalCode',
  country: 'MailingCountry',
}

const ID_COLUMNS = new Set(['customerid', 'customer_id', 'id'])
const SALESFORCE_FIELD = /^[A-Z][A-Za-z0-9_]*$/

export function contactOf(
  customer: Readonly<Record<string, unknown>>,
  externalIdField: string,
): { record: Record<string, unknown>; externalId: string } | { problem: string } {
  const record: Record<string, unknown> = {}
  for (const [column, value] of Object.entries(customer)) {
    if (value === undefined || value === null || value === '') continue
    const key = column.toLowerCase()
    if (column === externalIdField || ID_COLUMNS.has(key)) record[externalIdField] = String(value)
    else if (KNOWN[key] !== undefined) record[KNOWN[key]] = value
    else if (SALESFORCE_FIELD.test(column)) record[column] = value
  }
  const externalId = record[externalIdField]
  if (typeof externalId !== 'string' || externalId.trim() === '')
    return { problem: `no customer id (customerId or ${externalIdField})` }
  return { record, externalId }
}
