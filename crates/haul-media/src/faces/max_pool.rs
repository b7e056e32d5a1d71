//! A 2×2, stride-2 max pool for the detector. tract runs this shape through its
//! general pooling loop (a bounds check per tap), which took a sixth of YuNet's
//! time at 640×480 (6.4 ms of 34); written as two passes over contiguous rows
//! (the larger of two rows, then of each pair) it vectorises and takes well under
//! a millisecond. The model is unchanged: the op replaces tract's after the graph
//! is typed, only where the pool is exactly this one. (A 3×3 depthwise kernel
//! written the same way was slower than tract's: without runtime-detected AVX it
//! cannot match tract's own SIMD.)

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::cnn::{MaxPool, PaddingSpec};
use tract_onnx::tract_core::ops::nn::DataFormat;

#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct MaxPool2x2;

impl Op for MaxPool2x2 {
    fn name(&self) -> StaticName {
        "HaulMaxPool2x2".into()
    }

    op_as_typed_op!();
}

impl EvalOp for MaxPool2x2 {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let shape = input.shape();
        let rank = shape.len();
        ensure!(rank >= 2, "a 2×2 max pool needs height and width");
        let (height, width) = (shape[rank - 2], shape[rank - 1]);
        let (out_h, out_w) = (height / 2, width / 2);
        let mut out_shape: TVec<usize> = shape.into();
        out_shape[rank - 2] = out_h;
        out_shape[rank - 1] = out_w;
        let mut output = Tensor::zero::<f32>(&out_shape)?;
        let source = input.try_as_plain_ram()?;
        let source = source.as_slice::<f32>()?;
        let mut target = output.try_as_plain_ram_mut()?;
        let target = target.as_slice_mut::<f32>()?;
        pool(source, target, height, width);
        Ok(tvec!(output.into_tvalue()))
    }
}

impl TypedOp for MaxPool2x2 {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let input = inputs[0];
        let rank = input.rank();
        ensure!(rank >= 2, "a 2×2 max pool needs height and width");
        let mut shape: TVec<TDim> = input.shape.iter().cloned().collect();
        shape[rank - 2] = shape[rank - 2].clone() / 2;
        shape[rank - 1] = shape[rank - 1].clone() / 2;
        Ok(tvec!(f32::fact(&shape)))
    }

    as_op!();
}

/// `source` holds planes of `height` × `width`; `target` the same number of
/// planes of half that (rounded down, as a pool without padding does).
fn pool(source: &[f32], target: &mut [f32], height: usize, width: usize) {
    let (out_h, out_w) = (height / 2, width / 2);
    if out_h == 0 || out_w == 0 {
        return;
    }
    let mut taller = vec![0f32; width];
    for (plane_in, plane_out) in source
        .chunks_exact(height * width)
        .zip(target.chunks_exact_mut(out_h * out_w))
    {
        for (y, row_out) in plane_out.chunks_exact_mut(out_w).enumerate() {
            let top = &plane_in[2 * y * width..(2 * y + 1) * width];
            let bottom = &plane_in[(2 * y + 1) * width..(2 * y + 2) * width];
            for ((t, &a), &b) in taller.iter_mut().zip(top).zip(bottom) {
                *t = a.max(b);
            }
            for (o, pair) in row_out.iter_mut().zip(taller.chunks_exact(2)) {
                *o = pair[0].max(pair[1]);
            }
        }
    }
}

/// Puts [`MaxPool2x2`] in place of every max pool of `model` it computes
/// exactly; returns how many were replaced.
pub fn replace_max_pools(model: &mut TypedModel) -> TractResult<usize> {
    let mut replaced = 0;
    for id in model.eval_order()? {
        let node = model.node(id);
        if !is_max_pool_2x2(model, node)? {
            continue;
        }
        let patch = TypedModelPatch::replace_single_op(model, node, &node.inputs, MaxPool2x2)?;
        patch.apply(model)?;
        replaced += 1;
    }
    Ok(replaced)
}

fn unpadded(padding: &PaddingSpec) -> bool {
    match padding {
        PaddingSpec::Valid => true,
        PaddingSpec::Explicit(before, after) => before.iter().chain(after).all(|&p| p == 0),
        PaddingSpec::ExplicitOnnxPool(before, after, ceil) => {
            !ceil && before.iter().chain(after).all(|&p| p == 0)
        }
        _ => false,
    }
}

fn ones(values: Option<&TVec<usize>>) -> bool {
    values.is_none_or(|v| v.iter().all(|&v| v == 1))
}

fn is_max_pool_2x2(model: &TypedModel, node: &TypedNode) -> TractResult<bool> {
    let Some(pool) = node.op_as::<MaxPool>() else {
        return Ok(false);
    };
    let spec = &pool.pool_spec;
    Ok(pool.with_index_outputs.is_none()
        && matches!(spec.data_format, DataFormat::NCHW | DataFormat::CHW)
        && spec.kernel_shape.as_slice() == [2, 2]
        && spec.strides.as_deref() == Some(&[2, 2][..])
        && ones(spec.dilations.as_ref())
        && unpadded(&spec.padding)
        && model.outlet_fact(node.inputs[0])?.datum_type == f32::datum_type())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_output_is_the_largest_of_its_window_and_odd_edges_are_dropped() {
        // Two planes of 3 × 5.
        let source: Vec<f32> = (0..30).map(|v| ((v * 7) % 11) as f32).collect();
        let mut target = vec![0f32; 2 * 2];
        pool(&source, &mut target, 3, 5);
        let expected: Vec<f32> = (0..2)
            .flat_map(|p| {
                let plane = &source[p * 15..(p + 1) * 15];
                (0..2).map(move |x| {
                    [
                        plane[2 * x],
                        plane[2 * x + 1],
                        plane[5 + 2 * x],
                        plane[5 + 2 * x + 1],
                    ]
                    .into_iter()
                    .fold(f32::MIN, f32::max)
                })
            })
            .collect();
        assert_eq!(target, expected);
    }
}
