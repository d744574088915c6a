import type { ComponentType } from 'react';
import { CodeCell } from '../cell/CodeCell';
import { Callout } from './Callout';
import { DrawingPad } from './DrawingPad';
import { Exercise, Hint } from './Exercise';
import { Flow, Step } from './Flow';
import { Measured } from './Measured';
import type { MdxComponentName } from '@/lib/lessons/componentNames';

/**
 * Every component a lesson author may use in MDX. The build rejects any other capitalised tag with
 * the file and line where it appears, so this object is the authoring vocabulary. Adding a component
 * means adding it here and to names.ts (the compiler refuses one without the other).
 */
export const mdxComponents = {
  Callout,
  CodeCell,
  DrawingPad,
  Exercise,
  Hint,
  Flow,
  Measured,
  Step,
} satisfies Record<MdxComponentName, ComponentType<never>>;
