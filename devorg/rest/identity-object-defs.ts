// Setup objects that say who a user is: Profile, UserRole, PermissionSet, PermissionSetGroup
// and PermissionSetAssignment, read-only through the API as in a real org. Their records come
// from the seed (identity-objects.ts). Kept apart from the loader so that the schema's module
// cycle (sobject-schema → standard-objects → here) reaches no record-writing code.

import { type FieldDef, fieldDef as f, type ObjectDef } from './sobject-schema.ts'

const ro = { readOnly: true }

function setupObject(name: string, keyPrefix: string, labelPlural: string, fields: FieldDef[]): ObjectDef {
  return {
    name,
    label: name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    labelPlural,
    keyPrefix,
    custom: false,
    isEvent: false,
    createable: false,
    updateable: false,
    deletable: false,
    queryable: true,
    fields: [
      f('Id', 'id', ro),
      ...fields,
      f('IsDeleted', 'boolean', ro),
      f('CreatedDate', 'datetime', ro),
      f('CreatedById', 'reference', { ...ro, referenceTo: ['User'] }),
      f('LastModifiedDate', 'datetime', ro),
      f('SystemModstamp', 'datetime', ro),
    ],
  }
}

const str = (name: string) => f(name, 'string', ro)
const ref = (name: string, to: string, child: string | null = null) =>
  f(name, 'reference', { ...ro, referenceTo: [to], childRelationshipName: child })

export const IDENTITY_OBJECTS: ObjectDef[] = [
  setupObject('Profile', '00e', 'Profiles', [
    str('Name'),
    f('UserType', 'string', { ...ro, type: 'picklist' }),
  ]),
  setupObject('UserRole', '00E', 'Roles', [str('Name'), str('DeveloperName')]),
  setupObject('PermissionSetGroup', '0PG', 'Permission Set Groups', [
    str('DeveloperName'),
    str('MasterLabel'),
    f('Status', 'string', { ...ro, type: 'picklist' }),
  ]),
  setupObject('PermissionSet', '0PS', 'Permission Sets', [
    str('Name'),
    str('Label'),
    f('IsOwnedByProfile', 'boolean', ro),
    ref('ProfileId', 'Profile'),
    ref('PermissionSetGroupId', 'PermissionSetGroup'),
    f('Type', 'string', { ...ro, type: 'picklist' }),
  ]),
  setupObject('PermissionSetAssignment', '0Pa', 'Permission Set Assignments', [
    ref('AssigneeId', 'User'),
    ref('PermissionSetId', 'PermissionSet', 'Assignments'),
    ref('PermissionSetGroupId', 'PermissionSetGroup', 'Assignments'),
    f('IsActive', 'boolean', ro),
  ]),
]
