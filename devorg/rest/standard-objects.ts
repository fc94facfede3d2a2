// Standard objects the flows touch, with the fields they read and write. Not every field a
// real org has: enough for contact sync, opportunity archive and file attachment.

import { IDENTITY_OBJECTS } from './identity-object-defs.ts'
import type { FieldDef, ObjectDef } from './sobject-schema.ts'
import { fieldDef as f } from './sobject-schema.ts'

const str = (name: string, extra: Partial<FieldDef> = {}) => f(name, 'string', extra)
const typed = (name: string, type: string, extra: Partial<FieldDef> = {}) =>
  f(name, 'string', { type, ...extra })
const num = (name: string, type = 'double', extra: Partial<FieldDef> = {}) =>
  f(name, 'number', { type, ...extra })
const ref = (name: string, to: string, child: string | null = null, extra: Partial<FieldDef> = {}) =>
  f(name, 'reference', { referenceTo: [to], childRelationshipName: child, ...extra })
const ro = { readOnly: true }

function audit(): FieldDef[] {
  return [
    f('IsDeleted', 'boolean', ro),
    f('CreatedDate', 'datetime', ro),
    ref('CreatedById', 'User', null, ro),
    f('LastModifiedDate', 'datetime', ro),
    ref('LastModifiedById', 'User', null, ro),
    f('SystemModstamp', 'datetime', ro),
  ]
}

function std(
  name: string,
  keyPrefix: string,
  labelPlural: string,
  fields: FieldDef[],
  ops: Partial<Pick<ObjectDef, 'createable' | 'updateable' | 'deletable'>> = {},
): ObjectDef {
  return {
    name,
    label: name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    labelPlural,
    keyPrefix,
    custom: false,
    isEvent: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    fields: [f('Id', 'id', ro), ...fields, ...audit()],
    ...ops,
  }
}

const address = (prefix: string) =>
  ['Street', 'City', 'State', 'PostalCode', 'Country'].map((part) => str(prefix + part))

export const STANDARD_OBJECTS: ObjectDef[] = [
  std('Account', '001', 'Accounts', [
    str('Name', { required: true }),
    str('AccountNumber'),
    typed('Type', 'picklist'),
    typed('Industry', 'picklist'),
    typed('Phone', 'phone'),
    typed('Website', 'url'),
    typed('Description', 'textarea'),
    ...address('Billing'),
    ...address('Shipping'),
    num('AnnualRevenue', 'currency'),
    num('NumberOfEmployees', 'int'),
    ref('ParentId', 'Account', 'ChildAccounts'),
    ref('OwnerId', 'User'),
  ]),
  std('Contact', '003', 'Contacts', [
    ref('AccountId', 'Account', 'Contacts'),
    str('FirstName'),
    str('LastName', { required: true }),
    str('Name', ro),
    typed('Email', 'email'),
    typed('Phone', 'phone'),
    typed('MobilePhone', 'phone'),
    str('Title'),
    str('Department'),
    ...address('Mailing'),
    f('Birthdate', 'date'),
    typed('LeadSource', 'picklist'),
    typed('Description', 'textarea'),
    ref('OwnerId', 'User'),
  ]),
  std('Opportunity', '006', 'Opportunities', [
    str('Name', { required: true }),
    ref('AccountId', 'Account', 'Opportunities'),
    typed('StageName', 'picklist', { required: true }),
    f('CloseDate', 'date', { required: true }),
    num('Amount', 'currency'),
    num('Probability', 'percent'),
    typed('Type', 'picklist'),
    typed('LeadSource', 'picklist'),
    str('NextStep'),
    typed('Description', 'textarea'),
    typed('ForecastCategoryName', 'picklist'),
    f('IsClosed', 'boolean', ro),
    f('IsWon', 'boolean', ro),
    f('HasOpportunityLineItem', 'boolean', ro),
    ref('Pricebook2Id', 'Pricebook2'),
    ref('ContactId', 'Contact'),
    ref('OwnerId', 'User'),
  ]),
  // Manual shares of the private Opportunity model: who else may read or edit a deal.
  std('OpportunityShare', '00t', 'Opportunity Shares', [
    ref('OpportunityId', 'Opportunity', 'Shares', { required: true }),
    ref('UserOrGroupId', 'User', null, { required: true }),
    typed('OpportunityAccessLevel', 'picklist', { required: true }),
    typed('RowCause', 'picklist'),
  ]),
  std('Product2', '01t', 'Products', [
    str('Name', { required: true }),
    str('ProductCode'),
    typed('Family', 'picklist'),
    typed('Description', 'textarea'),
    f('IsActive', 'boolean'),
  ]),
  std('Pricebook2', '01s', 'Price Books', [
    str('Name', { required: true }),
    f('IsActive', 'boolean'),
    f('IsStandard', 'boolean', ro),
    typed('Description', 'textarea'),
  ]),
  std('PricebookEntry', '01u', 'Price Book Entries', [
    ref('Pricebook2Id', 'Pricebook2', 'PricebookEntries', { required: true }),
    ref('Product2Id', 'Product2', 'PricebookEntries', { required: true }),
    num('UnitPrice', 'currency', { required: true }),
    f('IsActive', 'boolean'),
    f('UseStandardPrice', 'boolean'),
    str('Name', ro),
    str('ProductCode', ro),
  ]),
  std('OpportunityLineItem', '00k', 'Opportunity Product', [
    ref('OpportunityId', 'Opportunity', 'OpportunityLineItems', { required: true }),
    ref('PricebookEntryId', 'PricebookEntry'),
    ref('Product2Id', 'Product2'),
    str('Name', ro),
    str('ProductCode', ro),
    num('Quantity', 'double', { required: true }),
    num('UnitPrice', 'currency'),
    num('TotalPrice', 'currency'),
    num('ListPrice', 'currency', ro),
    num('Discount', 'percent'),
    f('ServiceDate', 'date'),
    typed('Description', 'textarea'),
  ]),
  std('OpportunityContactRole', '00K', 'Opportunity Contact Role', [
    ref('OpportunityId', 'Opportunity', 'OpportunityContactRoles', { required: true }),
    ref('ContactId', 'Contact', 'OpportunityContactRoles', { required: true }),
    typed('Role', 'picklist'),
    f('IsPrimary', 'boolean'),
  ]),
  std(
    'ContentDocument',
    '069',
    'Content Documents',
    [
      str('Title'),
      ref('LatestPublishedVersionId', 'ContentVersion', null, ro),
      str('FileExtension', ro),
      str('FileType', ro),
      num('ContentSize', 'int', ro),
      typed('Description', 'textarea'),
      ref('OwnerId', 'User'),
    ],
    { createable: false },
  ),
  std(
    'ContentVersion',
    '068',
    'Content Versions',
    [
      ref('ContentDocumentId', 'ContentDocument', 'ContentVersions'),
      str('Title'),
      str('PathOnClient', { required: true }),
      f('VersionData', 'base64', { required: true }),
      ref('FirstPublishLocationId', 'Account'),
      typed('Description', 'textarea'),
      str('ReasonForChange'),
      typed('ContentLocation', 'picklist'),
      typed('Origin', 'picklist'),
      num('ContentSize', 'int', ro),
      str('FileExtension', ro),
      str('FileType', ro),
      str('VersionNumber', ro),
      str('Checksum', ro),
      f('IsLatest', 'boolean', ro),
      ref('OwnerId', 'User'),
    ],
    { deletable: false },
  ),
  std('ContentDocumentLink', '06A', 'Content Document Links', [
    ref('ContentDocumentId', 'ContentDocument', 'ContentDocumentLinks', { required: true }),
    ref('LinkedEntityId', 'Account', 'ContentDocumentLinks', { required: true }),
    typed('ShareType', 'picklist'),
    typed('Visibility', 'picklist'),
  ]),
  ...IDENTITY_OBJECTS,
]
