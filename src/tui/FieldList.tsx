import {Box, Text} from 'ink';
import type {SizingInput} from '../sizing/index.js';
import {type FieldId, fieldsFor, formatFieldValue} from './fields.js';

export interface FieldListProps {
  input: SizingInput;
  focus: FieldId;
  /** Digits being typed into the focused field. */
  draft: string | null;
  width: number;
}

const LABEL_WIDTH = 11;
const VALUE_WIDTH = 9;

/** The editable inputs: ">" marks the focused one (inverse video only repeats it), "[12_]" a value being typed. */
export function FieldList({input, focus, draft, width}: FieldListProps) {
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>SLA and workload</Text>
      {fieldsFor(input).map((field) => {
        const focused = field.id === focus;
        const value = focused && draft !== null ? `[${draft}_]` : formatFieldValue(field, input);
        return (
          <Text key={field.id} inverse={focused} wrap="truncate-end">
            {`${focused ? '>' : ' '} ${field.label(input).padEnd(LABEL_WIDTH)}${value.padStart(VALUE_WIDTH)} ${field.unit}`}
          </Text>
        );
      })}
    </Box>
  );
}
