/**
 * The tag names lesson authors may use, readable without loading React or CSS (the lesson checker
 * runs in plain Node). components/mdx/registry.tsx must map exactly these names; the type checker enforces it.
 */
export const MDX_COMPONENT_NAMES = ['Callout', 'CodeCell', 'DrawingPad', 'Exercise', 'Hint', 'Flow', 'Measured', 'Step'] as const;

export type MdxComponentName = (typeof MDX_COMPONENT_NAMES)[number];
