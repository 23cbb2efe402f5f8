import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldError } from '../core/errors.js';
import type { IdentityKind } from '../db/schema.js';
import type { CustomerInput } from './customer-schema.js';

export interface NormalisedIdentity {
  kind: IdentityKind;
  value: string;
}

const API_TO_KIND: Record<keyof NonNullable<CustomerInput['identities']>, IdentityKind> = {
  phone: 'phone',
  email: 'email',
  wechatOpenId: 'wechat_open_id',
  appUserId: 'app_user_id',
  idNumber: 'id_number',
};

export const KIND_TO_API: Record<IdentityKind, string> = {
  phone: 'phone',
  email: 'email',
  wechat_open_id: 'wechatOpenId',
  app_user_id: 'appUserId',
  id_number: 'idNumber',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One canonical spelling per identity, so that the same phone typed two ways finds the same person. */
export function normaliseIdentity(kind: IdentityKind, raw: string): { value: string } | { error: string } {
  const value = raw.trim();
  switch (kind) {
    case 'phone': {
      const phone = parsePhoneNumberFromString(value);
      if (!phone || !phone.isValid()) return { error: 'is not a valid phone number in international format (e.g. +8613800138000)' };
      return { value: phone.number };
    }
    case 'email':
      return EMAIL.test(value) ? { value: value.toLowerCase() } : { error: 'is not a valid email address' };
    case 'id_number':
      return /^[0-9A-Za-z-]{4,40}$/.test(value.replace(/\s/g, ''))
        ? { value: value.replace(/[\s-]/g, '').toUpperCase() }
        : { error: 'may contain only letters, digits and hyphens' };
    case 'wechat_open_id':
    case 'app_user_id':
      return value.length > 0 ? { value } : { error: 'must not be blank' };
  }
}

export function normaliseIdentities(input: CustomerInput['identities']): { identities: NormalisedIdentity[]; errors: FieldError[] } {
  const identities: NormalisedIdentity[] = [];
  const errors: FieldError[] = [];
  for (const [apiName, raw] of Object.entries(input ?? {})) {
    if (raw === undefined) continue;
    const kind = API_TO_KIND[apiName as keyof typeof API_TO_KIND];
    const result = normaliseIdentity(kind, raw);
    if ('error' in result) errors.push({ field: `identities.${apiName}`, reason: result.error });
    else identities.push({ kind, value: result.value });
  }
  return { identities, errors };
}
