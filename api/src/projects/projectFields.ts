import { z } from 'zod';

/** Store categories a project can declare (used to group similar stores). */
export const projectCategorySchema = z.enum([
  'fashion',
  'beauty',
  'electronics',
  'home',
  'food',
  'health',
  'sports',
  'toys',
  'books',
  'jewelry',
  'pets',
  'automotive',
  'digital',
  'services',
  'other',
]);

const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A host the project tracks (`shop.example.com`); it covers its subdomains too. No scheme, port or path. */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/\.$/, ''))
  .refine((v) => HOST.test(v), 'expected a host name such as shop.example.com (no scheme, port or path)');

export const projectNameSchema = z.string().trim().min(1, 'a project needs a name').max(200);

export const projectFieldsSchema = z.object({
  name: projectNameSchema,
  category: projectCategorySchema.default('other'),
  domains: z.array(domainSchema).max(50).default([]),
});
