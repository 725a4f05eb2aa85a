//! `_statistics`: the accelerator of `statistics` (CPython's
//! `Modules/_statisticsmodule.c`): `_normal_dist_inv_cdf`, the inverse of
//! the normal distribution's CDF by Wichura's algorithm AS241 (1988), the
//! same rational approximations and operation order as the pure-Python
//! fallback, so both give identical floats.

use taipan_vm::modules::add_functions;
use taipan_vm::native::{exact, no_kwargs, FunctionDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::float::as_double;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

static FUNCTIONS: &[FunctionDef] = &[FunctionDef::new("_normal_dist_inv_cdf", normal_dist_inv_cdf, "")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)
}

fn normal_dist_inv_cdf(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    // Argument Clinic names the module in the keyword error only.
    no_kwargs(vm, "_statistics._normal_dist_inv_cdf", kw)?;
    let [p, mu, sigma] = exact::<3>(vm, "_normal_dist_inv_cdf", args, kw)?;
    let (p, mu, sigma) = (as_double(vm, &p)?, as_double(vm, &mu)?, as_double(vm, &sigma)?);
    if p <= 0.0 || p >= 1.0 || sigma <= 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "inv_cdf undefined for these parameters"));
    }
    Ok(alloc(vm.types.float.clone(), mu + inv_cdf_standard(p) * sigma))
}

/// Evaluates the polynomial with coefficients `c` (highest degree first)
/// at `r` by Horner's rule.
fn horner(c: &[f64; 8], r: f64) -> f64 {
    c[1..].iter().fold(c[0], |acc, &k| acc * r + k)
}

/// The standard normal quantile of `p` (NaN stays NaN).
fn inv_cdf_standard(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = horner(
            &[
                2509.0809287301227,
                33430.57558358813,
                67265.7709270087,
                45921.95393154987,
                13731.69376550946,
                1971.5909503065513,
                133.14166789178438,
                3.3871328727963665,
            ],
            r,
        ) * q;
        let den = horner(
            &[
                5226.495278852854,
                28729.085735721943,
                39307.89580009271,
                21213.794301586597,
                5394.196021424751,
                687.1870074920579,
                42.31333070160091,
                1.0,
            ],
            r,
        );
        return num / den;
    }
    let r = if q <= 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let (num, den) = if r <= 5.0 {
        let r = r - 1.6;
        let num = horner(
            &[
                0.0007745450142783414,
                0.022723844989269184,
                0.2417807251774506,
                1.2704582524523684,
                3.6478483247632045,
                5.769497221460691,
                4.630337846156546,
                1.4234371107496835,
            ],
            r,
        );
        let den = horner(
            &[
                1.0507500716444169e-09,
                0.0005475938084995345,
                0.015198666563616457,
                0.14810397642748008,
                0.6897673349851,
                1.6763848301838038,
                2.053191626637759,
                1.0,
            ],
            r,
        );
        (num, den)
    } else {
        let r = r - 5.0;
        let num = horner(
            &[
                2.0103343992922881e-07,
                2.7115555687434876e-05,
                0.0012426609473880784,
                0.026532189526576124,
                0.29656057182850487,
                1.7848265399172913,
                5.463784911164114,
                6.657904643501103,
            ],
            r,
        );
        let den = horner(
            &[
                2.0442631033899397e-15,
                1.421511758316446e-07,
                1.8463183175100548e-05,
                0.0007868691311456133,
                0.014875361290850615,
                0.1369298809227358,
                0.599832206555888,
                1.0,
            ],
            r,
        );
        (num, den)
    };
    let x = num / den;
    if q < 0.0 {
        -x
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::inv_cdf_standard;

    #[test]
    fn values_of_cpython() {
        // The values CPython 3.11 gives, one per branch of the algorithm.
        assert_eq!(inv_cdf_standard(0.5), 0.0);
        assert_eq!(inv_cdf_standard(0.975), 1.959_963_984_540_053_6);
        assert_eq!(inv_cdf_standard(0.025), -1.959_963_984_540_053_8);
        assert_eq!(inv_cdf_standard(1e-300), -37.047_096_299_361_2);
    }
}
